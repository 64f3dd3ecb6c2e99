"""python -m smartgoals"""

from smartgoals.console import main

main()
