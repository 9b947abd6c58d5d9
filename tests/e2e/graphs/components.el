# three components, ids out of order: the triangle 3-5-8, the edge 10-12 and
# node 7 alone with a self-loop listed twice (a directed graph keeps both arcs)
5 3
3 8
12 10
7 7
7 7
8 5
