from grassroots.cli.main import main

main()
