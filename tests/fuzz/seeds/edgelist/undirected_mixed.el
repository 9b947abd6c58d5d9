# comment
% other
1	2
2  3
3 3
1 2
