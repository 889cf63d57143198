-- expect: instruction limit exceeded
-- flags: --max-instructions 1000000
-- within: 30
-- Nobody joins the task: its limit error still ends the script with an error.
task.spawn(function() while true do end end)
print("main chunk ends")
