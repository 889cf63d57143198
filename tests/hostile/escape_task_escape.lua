-- expect: attempt to call a nil value (field 'execute')
-- so does a task
local t = task.spawn(function() os.execute("touch pwned") end)
local ok, err = task.join(t)
error(err, 0)
