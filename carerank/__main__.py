from carerank.cli import console_script

console_script()
