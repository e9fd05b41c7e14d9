"""The HTTP routes, one router per concern; ``bot.serve.app`` includes them."""
