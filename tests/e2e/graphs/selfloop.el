# self-loop: 0->0 counts in out_degree(0) = 2
0 0
0 1
1 0
