from lstm_docs.cli import main

raise SystemExit(main())
