% the symmetric star of star_sym.el written with every kind of whitespace

  3	0
0    3   
# a comment between edges
0		1
1 0

% another comment
4 0
 0 4
2 0
0 2