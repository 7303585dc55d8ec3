from carerank.cli import app

app(prog_name="carerank")
