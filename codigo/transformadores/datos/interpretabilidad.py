"""Frases de prueba del capítulo de interpretabilidad, en inglés (el idioma en que se entrenó MiniLM).

Tres conjuntos pequeños, escritos a mano (nada se descarga):

- :data:`FRASES_PALABRAS`: frases con varias palabras de contenido; cada una sirve de «respuesta
  conocida» cuando preguntamos qué token explica la similitud entre la frase y esa palabra sola.
- :data:`PARAFRASIS`: parejas de frases que dicen lo mismo con otras palabras.
- :func:`frases_sustantivo_verbo`: la misma palabra (``run``, ``book``, ``dance``…) usada como
  sustantivo o como verbo según la plantilla. En cada clase hay plantillas con la palabra en las
  mismas posiciones, así que ni el token ni su posición delatan la clase: solo el contexto.
"""

from __future__ import annotations

import numpy as np

__all__ = ["FRASES_PALABRAS", "PARAFRASIS", "PALABRAS_AMBIGUAS", "PLANTILLAS", "frases_sustantivo_verbo"]

# (frase, palabras de la frase cuya similitud con la frase entera queremos explicar)
FRASES_PALABRAS = (
    ("the cat sleeps on the red sofa.", ("cat", "sofa", "red")),
    ("my brother plays the guitar in the kitchen.", ("brother", "guitar", "kitchen")),
    ("a young doctor visited the small village.", ("doctor", "village", "young")),
    ("the old ship sank near the island.", ("ship", "island", "old")),
    ("we ate fresh bread and cheese for breakfast.", ("bread", "cheese", "breakfast")),
    ("the teacher wrote a long letter to the police.", ("teacher", "letter", "police")),
    ("heavy snow closed the airport last winter.", ("snow", "airport", "winter")),
    ("a hungry dog chased the ball across the garden.", ("dog", "ball", "garden")),
)

PARAFRASIS = (
    ("a man is playing a guitar.", "someone plays the guitar."),
    ("the cat sleeps on the sofa.", "a cat is sleeping on the couch."),
    ("the stock market fell three percent.", "shares dropped by three percent."),
    ("it is raining heavily today.", "there is a lot of rain today."),
    ("she is cooking pasta in the kitchen.", "a woman prepares pasta in the kitchen."),
    ("the children are playing football in the park.", "kids play soccer in the park."),
    ("he bought a new car yesterday.", "yesterday he purchased a new automobile."),
    ("the train arrives at nine.", "the train gets in at nine o'clock."),
)

# Palabras que en inglés son sustantivo y verbo a la vez, cada una un solo token de MiniLM.
PALABRAS_AMBIGUAS = (
    "run walk play watch book fish drink cook dance call work plan help visit swim jump sleep dream fight ride "
    "kiss hug laugh cry smile rest love hope talk sing paint climb race cut wash trade vote shop hunt ship film "
    "test train travel guide move start finish step drive check"
).split()

# Plantillas por clase; la palabra cae en la posición 2, 3 o 4 (contando [CLS] como 0) en las dos clases.
# La última plantilla de cada posición se reserva para la prueba.
PLANTILLAS = {
    "sustantivo": (
        ("the {} was great.", "a {} is fun.", "this {} looks new."),  # posición 2
        ("my new {} is here.", "the first {} was long.", "one more {}, please."),  # posición 3
        ("i liked the {}.", "she enjoyed the {} a lot.", "we need a {} now."),  # posición 4
    ),
    "verbo": (
        ("they {} every day.", "we {} together often.", "you {} too much."),
        ("i will {} tomorrow.", "you can {} here.", "we often {} together."),
        ("i want to {} now.", "we need to {} soon.", "she likes to {} alone."),
    ),
}


def frases_sustantivo_verbo(fraccion_prueba: float = 1 / 3, semilla: int = 0):
    """Frases con una palabra ambigua usada como sustantivo (etiqueta 0) o como verbo (etiqueta 1).

    Las palabras se reparten al azar entre entrenamiento y prueba (``fraccion_prueba`` de ellas a la
    prueba) y las plantillas también (las de prueba son las últimas de cada posición): la sonda se
    evalúa con palabras **y** contextos que no ha visto.

    Devuelve
    --------
    frases : lista de N cadenas    palabras : lista de N cadenas (la palabra ambigua de cada frase)
    etiquetas : (N,), 0 = sustantivo, 1 = verbo    prueba : (N,), booleana, True = frase de prueba
    """
    if not 0 < fraccion_prueba < 1:
        raise ValueError(f"'fraccion_prueba' debe estar en (0, 1), pero se recibió {fraccion_prueba!r}.")
    orden = np.random.default_rng(semilla).permutation(len(PALABRAS_AMBIGUAS))
    de_prueba = {PALABRAS_AMBIGUAS[i] for i in orden[: round(fraccion_prueba * len(orden))]}
    frases, palabras, etiquetas, prueba = [], [], [], []
    for etiqueta, clase in enumerate(("sustantivo", "verbo")):
        for plantillas in PLANTILLAS[clase]:
            for k, plantilla in enumerate(plantillas):
                plantilla_de_prueba = k == len(plantillas) - 1
                for palabra in PALABRAS_AMBIGUAS:
                    if (palabra in de_prueba) != plantilla_de_prueba:
                        continue  # entrenamiento: palabra y plantilla de entrenamiento; prueba: las dos de prueba
                    frases.append(plantilla.format(palabra))
                    palabras.append(palabra)
                    etiquetas.append(etiqueta)
                    prueba.append(plantilla_de_prueba)
    return frases, palabras, np.array(etiquetas), np.array(prueba)
