"""The site: generators that turn the model into the pages of the static site."""
