import os
import sys

# tests import their shared fixtures as `common`
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
# and the helpers of scripts/ (ports.py) when pytest is run directly
sys.path.insert(1, os.path.join(os.path.dirname(os.path.dirname(
    os.path.abspath(__file__))), "scripts"))
