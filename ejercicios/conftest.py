"""nbval ejecuta estos cuadernos, que llaman a `comprobar`: su progreso va a un archivo temporal, no al tuyo."""

import os
import tempfile


def pytest_configure(config):
    carpeta = tempfile.mkdtemp(prefix="progreso-nbval-")
    os.environ["TRANSFORMADORES_PROGRESO"] = os.path.join(carpeta, "progreso.json")
