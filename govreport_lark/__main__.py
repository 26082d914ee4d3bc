import sys

from govreport_lark.output.cli import main

sys.exit(main())
