package io.amifactory.engine.input;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/**
 * A key given twice in one mapping is an error naming both lines. (SnakeYAML's own duplicate-key check
 * runs only when it constructs Java objects; InputNode composes nodes, so it checks itself.)
 */
class InputNodeDuplicateKeyTest {
    @Test
    void aKeyGivenTwiceInYamlIsRejectedWithBothLines() {
        InputException e = assertThrows(InputException.class, () -> InputNode.parse("t.yaml",
                "images:\n  - name: al2023\n    parameter: /x\n    name: al2023-arm\n"));
        assertEquals("t.yaml:4: images[0].name: duplicate key 'name' (first on line 2)", e.getMessage());
    }

    @Test
    void aKeyGivenTwiceInJsonIsRejected() {
        InputException e = assertThrows(InputException.class, () -> InputNode.parse("t.json",
                "{\"images\": [],\n \"images\": [{\"name\": \"a\"}]}"));
        assertEquals("t.json:2: images: duplicate key 'images' (first on line 1)", e.getMessage());
    }
}
