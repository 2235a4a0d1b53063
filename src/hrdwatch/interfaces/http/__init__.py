"""What the API and the web pages share: who is asking (dependencies), coded errors and their
handlers, the security middleware, and in-memory uploads. Neither side imports the other."""
