local config = {port = 8080}
assert(config.port == 8080)
print("port ok")
assert(config.host, "missing host")
