# The package's public names. provenance/__init__.py imports each one on first use (lazy_loader reads this
# file), so that `provenance --help` does not wait for scikit-learn; type checkers read it as it is.
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
from .index import add_documents as add_documents
from .index import open_index as open_index
from .ingest import read as read
from .pipeline import Analysis as Analysis
from .pipeline import Result as Result
from .pipeline import analyse as analyse
from .pipeline import score_corpus as score_corpus
from .settings import Settings as Settings
from .settings import load_settings as load_settings
from .types import Block as Block
from .types import Cleaned as Cleaned
from .types import Derivation as Derivation
from .types import DerivationClass as DerivationClass
from .types import Document as Document
from .types import Match as Match
from .types import MatchKind as MatchKind
from .types import Passage as Passage
from .types import Score as Score

__version__: str
