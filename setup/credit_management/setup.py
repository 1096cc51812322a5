import setuptools

setuptools.setup(
    setup_requires=['setuptools-odoo'],
    odoo_addon={
        # the manifest names the import (sklearn); the distribution is scikit-learn
        'external_dependencies_override': {
            'python': {
                'sklearn': 'scikit-learn',
            },
        },
    },
)
