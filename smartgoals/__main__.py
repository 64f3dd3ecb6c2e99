"""python -m smartgoals"""

from .fastpath import main

main()
