# directed cycle of 5: every node ranks exactly 1/5
0 1
1 2
2 3
3 4
4 0
