# out-star: center 0 points to leaves 1..4, which are all dangling
0 1
0 2
0 3
0 4
