package io.quarkiverse.hangfire.it.nativeimage;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * The database of the app under test when it runs as a process (the native image, whose datasource kind is fixed at
 * build time: MariaDB from the prod profile, or H2 in memory). A MariaDB database is recreated empty before the app
 * starts, so the extension creates its schema in the image too; the URL, from the failsafe execution, is passed to
 * the process.
 */
public class NativeDatabase implements QuarkusTestResourceLifecycleManager {

    private static final Pattern URL = Pattern.compile("(jdbc:mariadb://[^/?]+/)([A-Za-z0-9_]+)(\\?.*)?");

    @Override
    public Map<String, String> start() {
        String url = System.getProperty("it.native.jdbc-url", "jdbc:mariadb://127.0.0.1:3306/hangfire_native");
        String username = System.getProperty("it.native.username", "root");
        String password = System.getProperty("it.native.password", "");
        if (url.startsWith("jdbc:h2:mem:")) {
            // an image built with -D%prod.quarkus.datasource.db-kind=h2: a fresh in-memory database per process
            return Map.of("quarkus.datasource.jdbc.url", url, "quarkus.datasource.username", username,
                    "quarkus.datasource.password", password);
        }
        Matcher m = URL.matcher(url);
        if (!m.matches()) {
            throw new IllegalArgumentException("it.native.jdbc-url must be jdbc:mariadb://host:port/database (letters,"
                    + " digits, _) or jdbc:h2:mem:..., not " + url);
        }
        try (Connection server = DriverManager.getConnection(m.group(1), username, password);
                Statement s = server.createStatement()) {
            s.execute("DROP DATABASE IF EXISTS `" + m.group(2) + "`");
            s.execute("CREATE DATABASE `" + m.group(2) + "` CHARACTER SET utf8mb4");
        } catch (SQLException e) {
            throw new IllegalStateException("Could not recreate the database of " + url + ": " + e.getMessage(), e);
        }
        return Map.of("quarkus.datasource.jdbc.url", url, "quarkus.datasource.username", username,
                "quarkus.datasource.password", password);
    }

    @Override
    public void stop() {
    }
}
