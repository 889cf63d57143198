-- expect: attempt to call a nil value (field 'upvaluejoin')
debug.upvaluejoin(print, 1, print, 1)
