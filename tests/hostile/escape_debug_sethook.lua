-- expect: attempt to call a nil value (field 'sethook')
debug.sethook(function() end, "l")
