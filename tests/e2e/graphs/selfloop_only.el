# a single node with a self-loop: N = 1, rank 1
7 7
