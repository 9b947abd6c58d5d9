# two triangles 0-1-2 and 3-4-5 joined by the edge 2-3
0 1
1 2
2 0
3 4
4 5
5 3
2 3
