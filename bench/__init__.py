"""`make bench`: the screening benchmark at Alibaba scale.

``seed`` fills a database with a season of 20,000 employees, 300 ideas in
screening and 1,000,000 ballots; ``load`` is a small keep-alive HTTP load
generator; ``run`` starts gunicorn and measures. Not application code: the
seed writes rows in bulk, bypassing the services, to build the scene fast.
"""
