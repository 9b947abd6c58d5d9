# the path of path3.el with CRLF line ends
0 1
1 2
