# sparse ids, listed out of order: the path 99999999999 -> 10 -> 1000000 -> 9
# numeric order 9 < 10 < 1000000 < 99999999999 differs from text order
99999999999 10
10 1000000
1000000 9
