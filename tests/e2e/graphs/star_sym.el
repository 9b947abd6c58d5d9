# symmetric star: center 0, leaves 1..4, edges both directions
0 1
1 0
0 2
2 0
0 3
3 0
0 4
4 0
