# 0 -> 1, 0 -> 2, 1 -> 2: HITS hubs and authorities involve the golden ratio
0 1
0 2
1 2
