# path 0->1->2: node 2 is dangling
0 1
1 2
