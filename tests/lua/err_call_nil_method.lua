local obj = {name = "thing"}
function obj:describe() return self.name end
print(obj:describe())
print(obj:foo())
