"""Assets: what the renderer embeds besides drawing operators, prepared after composition from
what the display list says. ``images`` is the picture pipeline (crop, scale, separate, cache);
``photos`` prepares every picture of a page and reports each one's resolution."""
