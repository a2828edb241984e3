"""python -m tongbao.demo"""

from . import main

main()
