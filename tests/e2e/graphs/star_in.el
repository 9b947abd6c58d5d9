# in-star: leaves 1..4 point to center 0, which is dangling
1 0
2 0
3 0
4 0
