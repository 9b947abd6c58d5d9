# two components: symmetric star 0..3 (center 0) and a 2-cycle 4<->5
0 1
1 0
0 2
2 0
0 3
3 0
4 5
5 4
