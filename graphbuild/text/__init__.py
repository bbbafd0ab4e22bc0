"""Text as it comes from files and the web, made fit to parse.

``decoding`` turns bytes into text (UTF-8, byte-order-marked UTF-16/32, an HTML page's
declared charset) or names what is wrong; ``html`` takes a news page's main text and title;
``normalise`` repairs web text (mojibake, glued sentences, odd spaces, entities) before any
offset is counted. Imports nothing of the project but ``errors``.
"""
