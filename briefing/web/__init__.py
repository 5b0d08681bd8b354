"""`briefing serve`: the same terminal interface in a browser, for colleagues without a
terminal — and for nobody else.

textual-serve runs one `briefing` process per browser tab and relays it over a WebSocket.
This package puts a token in front of every request, serves the page and its fonts from
the machine (no font CDN), caps and reaps sessions, and stops them all on Ctrl+C.
"""
