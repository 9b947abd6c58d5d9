# duplicate edge: 0->1 twice, so out_degree(0) = 3 and node 1 gets 2/3 of it
0 1
0 1
0 2
1 0
2 0
