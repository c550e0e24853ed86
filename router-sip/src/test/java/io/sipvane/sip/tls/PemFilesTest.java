package io.sipvane.sip.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.spec.ECGenParameterSpec;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.openssl.jcajce.JceOpenSSLPKCS8EncryptorBuilder;
import org.bouncycastle.operator.OutputEncryptor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The key formats the usual tools write, and what is said about files that are not keys. */
class PemFilesTest {
    @TempDir
    Path dir;

    @Test
    void readsPkcs8_andTheTraditionalFormsOpensslWrites() throws Exception {
        KeyPair ec = generate("EC");
        assertThat(PemFiles.privateKey(write("pkcs8.key", new JcaPKCS8Generator(ec.getPrivate(), null))))
                .isEqualTo(ec.getPrivate());

        Path rsa = openssl("rsa.key", "genrsa", "-traditional", "-out", "rsa.key", "2048");
        assertThat(Files.readString(rsa)).startsWith("-----BEGIN RSA PRIVATE KEY-----");
        assertThat(PemFiles.privateKey(rsa).getAlgorithm()).isEqualTo("RSA");

        Path sec1 = openssl("ec.key", "ecparam", "-name", "prime256v1", "-genkey", "-noout", "-out", "ec.key");
        assertThat(Files.readString(sec1)).startsWith("-----BEGIN EC PRIVATE KEY-----");
        assertThat(PemFiles.privateKey(sec1).getAlgorithm()).isEqualTo("EC");
    }

    private Path openssl(String file, String... args) throws Exception {
        java.util.List<String> command = new java.util.ArrayList<>(java.util.List.of("openssl"));
        command.addAll(java.util.List.of(args));
        Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor()).as(out).isZero();
        return dir.resolve(file);
    }

    @Test
    void encryptedKey_isNamedAsSuch() throws Exception {
        OutputEncryptor encryptor = new JceOpenSSLPKCS8EncryptorBuilder(JcaPKCS8Generator.AES_256_CBC)
                .setProvider(new org.bouncycastle.jce.provider.BouncyCastleProvider()).setPassword("secret".toCharArray()).build();
        Path file = write("encrypted.key", new JcaPKCS8Generator(generate("EC").getPrivate(), encryptor));

        assertThatThrownBy(() -> PemFiles.privateKey(file)).isInstanceOf(IOException.class)
                .hasMessageContaining(file.toString()).hasMessageContaining("encrypted");
    }

    @Test
    void certificateWhereAKeyShouldBe_andGarbage_areRefusedNamingTheFile() throws Exception {
        Path notAKey = Files.writeString(dir.resolve("cert-only.pem"), "hello\n");
        assertThatThrownBy(() -> PemFiles.privateKey(notAKey)).hasMessageContaining(notAKey.toString())
                .hasMessageContaining("no private key");
        assertThatThrownBy(() -> PemFiles.certificates(notAKey)).hasMessageContaining(notAKey.toString());
        Path missing = dir.resolve("missing.pem");
        assertThatThrownBy(() -> PemFiles.certificates(missing)).isInstanceOf(IOException.class)
                .hasMessageContaining(missing.toString());
    }

    private static KeyPair generate(String algorithm) throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance(algorithm);
        if (algorithm.equals("EC")) {
            g.initialize(new ECGenParameterSpec("secp256r1"));
        } else {
            g.initialize(2048);
        }
        return g.generateKeyPair();
    }

    private Path write(String name, Object pem) throws IOException {
        StringWriter w = new StringWriter();
        try (JcaPEMWriter writer = new JcaPEMWriter(w)) {
            writer.writeObject(pem);
        }
        return Files.writeString(dir.resolve(name), w.toString());
    }
}
