"""broadsheet: content.yaml -> model -> compose -> display list -> render -> finish -> report.

The package is named ``layout`` (the design card's name); the console script is ``broadsheet``.
"""

__version__ = "0.1.0"
