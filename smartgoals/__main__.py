"""python -m smartgoals"""

from .console import main

main()
