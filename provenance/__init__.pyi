# The package's public names. provenance/__init__.py imports each one on first use (lazy_loader reads this
# file), so that `provenance --help` does not wait for scikit-learn; type checkers read it as it is.
from .api import analyses as analyses
from .api import clean as clean
from .api import score as score
from .archive import add_documents as add_documents
from .boilerplate import BoilerplateModel as BoilerplateModel
from .boilerplate import load_model as load_model
from .engine import DaskEngine as DaskEngine
from .engine import Engine as Engine
from .engine import LocalEngine as LocalEngine
from .errors import InputError as InputError
from .errors import ModelError as ModelError
from .errors import ProvenanceError as ProvenanceError
from .errors import SettingsError as SettingsError
from .filtering import Policy as Policy
from .index import open_index as open_index
from .ingest import read as read
from .settings import Settings as Settings
from .settings import load_settings as load_settings
from .types import Analysis as Analysis
from .types import Block as Block
from .types import Cleaned as Cleaned
from .types import Derivation as Derivation
from .types import DerivationClass as DerivationClass
from .types import Document as Document
from .types import Match as Match
from .types import MatchKind as MatchKind
from .types import Passage as Passage
from .types import Result as Result
from .types import Score as Score

__version__: str
