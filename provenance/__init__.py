"""provenance: where a news article's text came from, and how much of it is its own.

The public names (listed in __init__.pyi) are imported on first use: numba, datasketch and scipy take
seconds to import, which `provenance --help`, a mistyped option or a one-page `clean` should not wait for.
"""

import lazy_loader

__version__ = "0.1.0"

__getattr__, __dir__, __all__ = lazy_loader.attach_stub(__name__, __file__)
__all__ = [*__all__, "__version__"]
