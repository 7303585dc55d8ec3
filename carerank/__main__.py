from carerank.cli import main

main()
