# directed path 0 -> 1 -> 2 -> 3 -> 4 (undirected examples see the path 0-1-2-3-4)
0 1
1 2
2 3
3 4
