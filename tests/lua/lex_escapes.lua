print("tab\tquote\"apos\'backslash\\")
print("\65\066\0671", "\x41\x62", "\u{48}\u{49}")
print(#"\u{7FF}", #"\u{FFFF}", #"\u{10FFFF}", #"\u{7FFFFFFF}")
print("a\z
       b")
print("line1\
line2")
print(#"\0\0\0", ("\0x"):byte(1, -1))
print("\a\b\f\v\r" == "\7\8\12\11\13")
print('single "double" inside')
