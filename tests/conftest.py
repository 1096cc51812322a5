import os
import sys

# tests import their shared fixtures as `common`
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
