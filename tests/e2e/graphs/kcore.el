# K4 on 0..3 (core 3), node 4 tied to 0, 1 and 5 (core 2), node 5 with a
# self-loop tied to 4 and 6 (core 2 thanks to the self-loop), leaf 6 (core 1),
# node 9 with only a self-loop (core 1); 0-1 is repeated in both directions
0 1
0 2
0 3
1 2
1 3
2 3
1 0
0 1
4 0
4 1
4 5
5 5
5 6
9 9
