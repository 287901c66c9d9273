from wikcli.cli import main

main()
