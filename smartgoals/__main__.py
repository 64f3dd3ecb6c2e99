"""python -m smartgoals"""

from .cli import main

main()
